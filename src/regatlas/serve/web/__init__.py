"""The browser pages of `regatlas serve` (issue 12): server-rendered Jinja2 templates and htmx, shipped in this
package (templates/, static/), with no build step and nothing loaded from elsewhere, so they work offline.

The pages sit under /ui on the same service, tokens and roles as the API: the login form takes an API token and
keeps it in a cookie limited to /ui (serve/auth.py reads it there), every request that changes something carries a
CSRF token derived from the session (session.py), and the pages call the service's own functions (the inventory,
the follow-up, the analysis), never a second version of them.
"""
