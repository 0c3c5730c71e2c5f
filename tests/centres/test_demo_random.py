"""The centres' demo step and the random sequence the later steps share (apart from tests/centres/test_demo.py,
whose module keeps the demo built for all its tests)."""

import random

from centres import demo
from centres.models import BoardMember, Centre


def test_the_demo_does_not_change_the_shared_random_sequence(db):
    """Later demo steps draw from the same generator; the registry's details must not shift them."""
    from units import demo as units_demo

    units_demo.seed(rng=random.Random(1), log=lambda *_: None)
    rng = random.Random(5)
    demo.seed(rng=rng, log=lambda *_: None)
    expected = random.Random(5)
    for _ in range(Centre.objects.filter(status="merged").count() * 2):
        expected.random()
    assert rng.random() == expected.random()
    assert BoardMember.objects.exists()
