from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren


def validate_siren(value: str) -> None:
    try:
        siren.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            "Ce numéro SIREN n’est pas valide : il compte 9 chiffres et sa clé de contrôle doit être juste.",
            code="invalid_siren",
        ) from exc


def clean_siren(value: str) -> str:
    return siren.compact(value or "")
