"""Refuse a NUL character in the address or the query string of an API request before any view runs: PostgreSQL
refuses NUL in text (a 500 if it reached a query), and no honest request carries one. The pages check their
inputs with forms and strict URL converters (a French message next to the field, or a 404), so only /api/ is
guarded here: django-ninja reads its parameters without Django forms."""

import json

from django.http import HttpResponse


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith("/api/"):
            return self.get_response(request)
        query_has_nul = any("\x00" in v for values in request.GET.lists() for v in [values[0], *values[1]])
        if "\x00" in request.path_info or query_has_nul:
            body = json.dumps({"message": "Caractère nul interdit dans l’adresse.", "erreurs": {}})
            return HttpResponse(body, status=400, content_type="application/json; charset=utf-8")
        return self.get_response(request)
