#!/usr/bin/env bash
# Rebuild the vendored GOV.UK Frontend assets in static/govuk/.
#
#   bash assets/build.sh        (or: make assets)
#
# Needs Node.js (>= 20.19, for Dart Sass) and npm only when rebuilding: the
# outputs are committed so the Django app never needs Node at run time. Safe
# to run again: every run produces the same files, and static/govuk/ is
# rebuilt from scratch. Works with bash 3.2 (macOS) as well as bash 5.
#
# Outputs (everything in static/govuk/ is generated – do not edit by hand):
#   static/govuk/application.css       assets/scss/application.scss, compressed
#   static/govuk/govuk-frontend.min.js GOV.UK Frontend's ES module bundle
#   static/govuk/images/…              only images the compiled CSS refers to
#   static/govuk/VERSION               the govuk-frontend version built from
set -euo pipefail

ASSETS_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd -- "${ASSETS_DIR}/.." && pwd)"
OUT_DIR="${ROOT_DIR}/static/govuk"
GOVUK_DIST="${ASSETS_DIR}/node_modules/govuk-frontend/dist/govuk"

die() {
  echo "build.sh: $*" >&2
  exit 1
}

command -v npm >/dev/null 2>&1 || die "npm not found: install Node.js 20.19+ to rebuild the assets"

# 1. Dependencies, exactly as pinned in package-lock.json. Install scripts are
#    not needed (Dart Sass is pure JavaScript; its optional native file
#    watcher is only used by --watch), so none are run.
cd "${ASSETS_DIR}"
if [[ -f package-lock.json ]]; then
  npm ci --ignore-scripts --no-audit --no-fund
else
  npm install --ignore-scripts --no-audit --no-fund
fi

[[ -d "${GOVUK_DIST}" ]] || die "govuk-frontend not installed at ${GOVUK_DIST}"
VERSION="$(node -p 'require("./node_modules/govuk-frontend/package.json").version')"

# 2. Build into a temporary directory, then swap it in, so a failed build
#    never leaves a half-written static/govuk/.
mkdir -p "${ROOT_DIR}/static"
TMP_DIR="$(mktemp -d "${ROOT_DIR}/static/.govuk-build.XXXXXX")"
trap 'rm -rf -- "${TMP_DIR}"' EXIT

./node_modules/.bin/sass \
  --pkg-importer=node \
  --style=compressed \
  --no-source-map \
  --no-charset \
  --quiet-deps \
  "${ASSETS_DIR}/scss/application.scss" \
  "${TMP_DIR}/application.css"

# The ES module bundle (the template loads it through static/js/app.js).
# Its trailing "//# sourceMappingURL=…" comment is dropped because we do not
# ship the .map file (browsers would request it, and a manifest static
# storage could fail on the missing file).
sed -E 's@//# sourceMappingURL=[^[:space:]]*$@@' "${GOVUK_DIST}/govuk-frontend.min.js" \
  >"${TMP_DIR}/govuk-frontend.min.js"
if grep -q 'sourceMappingURL' "${TMP_DIR}/govuk-frontend.min.js"; then
  die "could not strip the source map comment from govuk-frontend.min.js"
fi
if ! grep -qE 'export\{[^}]*initAll' "${TMP_DIR}/govuk-frontend.min.js"; then
  die "govuk-frontend.min.js does not export initAll"
fi

# 3. Copy only the images the compiled CSS refers to (url(images/NAME)).
#    GOV.UK Frontend's fonts, favicons, app icons and crown/crest images are
#    never copied.
IMAGE_COUNT=0
while IFS= read -r image; do
  [[ -n "${image}" ]] || continue
  case "${image}" in
    *crown* | *crest* | *govuk-icon* | *favicon* | */* | *..*)
      die "refusing to ship image '${image}' (GOV.UK branding or unexpected path)"
      ;;
  esac
  [[ -f "${GOVUK_DIST}/assets/images/${image}" ]] || die "CSS refers to images/${image}, not in govuk-frontend"
  mkdir -p "${TMP_DIR}/images"
  cp "${GOVUK_DIST}/assets/images/${image}" "${TMP_DIR}/images/${image}"
  IMAGE_COUNT=$((IMAGE_COUNT + 1))
done < <(grep -oE 'url\(["'\'']?images/[^"'\'')]+' "${TMP_DIR}/application.css" \
  | sed -E 's/^url\(["'\'']?images\///' | sort -u || true)

printf '%s\n' "${VERSION}" >"${TMP_DIR}/VERSION"

# 4. Checks on the output.
if grep -qiE 'gds[ -]transport' "${TMP_DIR}/application.css"; then
  die "compiled CSS mentions GDS Transport"
fi
if grep -qiE '@font-face|\.woff2?|fonts/' "${TMP_DIR}/application.css"; then
  die "compiled CSS refers to font files"
fi
# Every url() must resolve to a file beside the CSS (data: URIs aside).
while IFS= read -r ref; do
  case "${ref}" in
    data:* | "#"*) continue ;;
  esac
  [[ -f "${TMP_DIR}/${ref}" ]] || die "compiled CSS refers to missing file: ${ref}"
done < <(grep -oE 'url\([^)]*\)' "${TMP_DIR}/application.css" \
  | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//' | sort -u)

# 5. Swap the new build in.
rm -rf -- "${OUT_DIR}"
mv -- "${TMP_DIR}" "${OUT_DIR}"
chmod 755 "${OUT_DIR}"
trap - EXIT

CSS_BYTES="$(wc -c <"${OUT_DIR}/application.css" | tr -d ' ')"
echo "Built GOV.UK Frontend ${VERSION} into ${OUT_DIR#"${ROOT_DIR}/"}/ (application.css: ${CSS_BYTES} bytes, images: ${IMAGE_COUNT})"
