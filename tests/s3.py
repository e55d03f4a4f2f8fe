"""A real S3 endpoint for tests: moto's standalone server on 127.0.0.1, started once a session.

``s3_server`` starts it (on a free port, with dummy credentials, so nothing reaches the network)
and makes the bucket; ``s3_storage`` points the private storage at that bucket for one test,
under a prefix of its own, so tests never see each other's files. tests/conftest.py imports both,
so any test can ask for them."""

import os
import uuid
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

BUCKET = "mca-private-tests"
REGION = "eu-west-2"
# Dummy credentials, and no AWS configuration or instance metadata looked up anywhere.
DUMMY_AWS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


@dataclass(frozen=True)
class S3Server:
    endpoint_url: str
    bucket: str

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def options(self, prefix: str = "") -> dict:
        """The PRIVATE_STORAGE_S3 setting for this server's bucket."""
        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint_url,
            "region_name": REGION,
            "access_key": "testing",
            "secret_key": "testing",
            "location": prefix,
            "addressing_style": "path",
        }


@pytest.fixture(scope="session")
def s3_server():
    saved = {name: os.environ.get(name) for name in DUMMY_AWS}
    os.environ.update(DUMMY_AWS)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        s3 = S3Server(endpoint_url=f"http://{host}:{port}", bucket=BUCKET)
        s3.client().create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
        yield s3
    finally:
        server.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def s3_storage(s3_server, settings):
    """The private storage in moto's bucket for this test, under a prefix of its own; returns the
    server and the prefix (``S3Storage`` keys start with it)."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.PRIVATE_STORAGE = "s3"
    settings.PRIVATE_STORAGE_S3 = s3_server.options(prefix)
    return s3_server, prefix
