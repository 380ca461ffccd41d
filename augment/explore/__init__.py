"""`augment explore` / `synth explore`: a local page to tune a pipeline on real data.

`app` is the Starlette app (JSON API and bundled page), `session` and `synth_session` hold the
data and render the copies the commands would write, `controls` describes every transform's
arguments for the page. Needs the `explore` extra (starlette, uvicorn).
"""
