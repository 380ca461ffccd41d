"""What a run makes: charsets, the task plan, render options, synth.yaml, pipeline presets."""
