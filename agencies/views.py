from django.http import HttpResponse
from django.views.decorators.http import require_POST


@require_POST
def keep_alive(request):
    """Extend the session (the timeout warning's "Stay signed in"). Needs a signed-in user, like
    every view; saving the session on each request is what extends it."""
    request.session.modified = True
    return HttpResponse(status=204)
