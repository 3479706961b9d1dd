"""The names of what ``kg.metrics(of=...)`` measures (no heavy imports: the CLI's choices).

>>> MEASURES
('network', 'characters', 'removal')
"""

from __future__ import annotations

#: The network, each character, or what removing each character changes; see
#: :data:`graph.analysis.story_metrics.OF`.
MEASURES: tuple[str, ...] = ("network", "characters", "removal")
