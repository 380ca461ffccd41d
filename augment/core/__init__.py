"""Pipeline core: samples, the transform contract, combinators, seeding and the registry."""
