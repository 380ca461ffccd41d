"""Speech augmentation: background scenes at a measured SNR, phone channels, rooms.

Importing this package registers every audio transform (one per module).
"""

from augment.audio.automatic_gain import AutomaticGain
from augment.audio.background_noise import BackgroundNoise
from augment.audio.bad_phone import BadPhone
from augment.audio.clipping import Clipping
from augment.audio.colored_noise import ColoredNoise
from augment.audio.g711 import G711
from augment.audio.gain import Gain
from augment.audio.gsm import GSM
from augment.audio.packet_loss import PacketLoss
from augment.audio.pitch_shift import PitchShift
from augment.audio.resample_rate import Resample
from augment.audio.reverb import Reverb
from augment.audio.speed_perturb import SpeedPerturb
from augment.audio.telephone_band import TelephoneBand

__all__ = [
    "G711",
    "GSM",
    "AutomaticGain",
    "BackgroundNoise",
    "BadPhone",
    "Clipping",
    "ColoredNoise",
    "Gain",
    "PacketLoss",
    "PitchShift",
    "Resample",
    "Reverb",
    "SpeedPerturb",
    "TelephoneBand",
]
