"""Making a crop: the random draw of render params, the pure render, the augmented crop."""
