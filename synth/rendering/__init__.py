"""Making a character crop: its parts (see `synth.part`), the random draw of its render
params, the pure render, and the augmented crop."""
