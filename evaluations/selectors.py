from evaluations.models import Assessment


def centre_year_is_locked(*, centre_id: int, year: int) -> bool:
    """True when the province approved (locked) the centre's rating for that year. One query."""
    return Assessment.objects.filter(centre_id=centre_id, year=year, status=Assessment.Status.APPROVED).exists()
