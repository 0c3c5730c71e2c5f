from accounts.models import Office
from centres.models import Centre, centre_default_name
from units.models import Commune


def seed(*, rng, log) -> None:
    """A centre for every commune, reviewed by its district's office."""
    offices = {o.district_id: o for o in Office.objects.filter(district__isnull=False)}
    communes = Commune.objects.filter(district__isnull=False).select_related("district")
    centres = [
        Centre(
            commune=c,
            name=centre_default_name(c),
            review_office=offices.get(c.district_id),
            address=f"{c.name}, {c.district.name}",
            has_seal=rng.random() < 0.9,
            has_bank_account=rng.random() < 0.8,
        )
        for c in communes
    ]
    Centre.objects.bulk_create(centres, batch_size=500)
    log(f"  centres: {len(centres)}")
