"""Bundled font files the synth tests rely on."""

from augment.assets import asset_dir

FONTS = asset_dir("fonts")
DEJAVU = FONTS / "DejaVu" / "DejaVuSans.ttf"
DSEG7 = FONTS / "DSEG" / "DSEG7Classic-Regular.ttf"
BEBAS = FONTS / "BebasNeue" / "BebasNeue-Regular.otf"
