"""Speech augmentation: background scenes at a measured SNR, phone channels, rooms.

Importing this package registers every audio transform (one per module).
"""

from augment.audio.automatic_gain import AutomaticGain
from augment.audio.background_noise import BackgroundNoise
from augment.audio.bad_phone import BadPhone
from augment.audio.clipping import Clipping
from augment.audio.colored_noise import ColoredNoise
from augment.audio.frequency_mask import FrequencyMask
from augment.audio.g711 import G711
from augment.audio.gain import Gain
from augment.audio.gsm import GSM
from augment.audio.impulse_response import ImpulseResponse
from augment.audio.lossy_compression import LossyCompression
from augment.audio.packet_loss import PacketLoss
from augment.audio.pitch_shift import PitchShift
from augment.audio.resample_rate import Resample
from augment.audio.reverb import Reverb
from augment.audio.speed_perturb import SpeedPerturb
from augment.audio.telephone_band import TelephoneBand
from augment.audio.time_mask import TimeMask
from augment.audio.time_shift import TimeShift

__all__ = [
    "G711",
    "GSM",
    "AutomaticGain",
    "BackgroundNoise",
    "BadPhone",
    "Clipping",
    "ColoredNoise",
    "FrequencyMask",
    "Gain",
    "ImpulseResponse",
    "LossyCompression",
    "PacketLoss",
    "PitchShift",
    "Resample",
    "Reverb",
    "SpeedPerturb",
    "TelephoneBand",
    "TimeMask",
    "TimeShift",
]
