"""The programmes app's models, one module per part: networks, programmes, pairings."""

from programmes.models.networks import Membership, Network, NetworkStaff
from programmes.models.pairings import (
    Pairing,
    PairingParticipant,
    PairingStatusChange,
)
from programmes.models.programmes import (
    Programme,
    ProgrammeNetwork,
    StreamMember,
    StreamPriority,
    ThematicStream,
)

__all__ = [
    "Membership",
    "Network",
    "NetworkStaff",
    "Pairing",
    "PairingParticipant",
    "PairingStatusChange",
    "Programme",
    "ProgrammeNetwork",
    "StreamMember",
    "StreamPriority",
    "ThematicStream",
]
