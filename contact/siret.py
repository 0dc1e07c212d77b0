"""Optional: the NAF section of a company from its SIRET, for the forms that route a request by sector (the finder,
the contact form). The lookup itself (cache, rate limit, timeout, odd answers) is ``territories.companies``,
shared with the application form; without ``SIRET_LOOKUP_URL``, or when the service fails, the company picks its
sector in the list."""

from territories import companies
from territories.companies import TIMEOUT, company_for_siret, lookup_enabled

__all__ = ["TIMEOUT", "company_for_siret", "lookup_enabled", "section_for_siret"]


def section_for_siret(siret: str) -> str | None:
    """The NAF section letter (« C ») of the establishment, or None when unknown, when the service fails, or when
    its first answer is not the company of this SIRET (a full-text search may answer a neighbour)."""
    company = companies.company_for_siret(siret)
    return company.section_code or None if company else None
