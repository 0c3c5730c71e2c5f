def seed(*, rng, log) -> None:
    """Demo data of this app: filled in by its issue."""
