"""The base of every pydantic model in ``shared/``: validators are built on first use.

Pydantic builds a model's validator and serializer when the class is created, which is at
import. The functions import far more models than one request uses (the api's route modules
declare their bodies and queries, every function imports all the events), and building them
was about 0.2 s of each cold start (decision 0114). With ``defer_build`` a model is built the
first time it validates or dumps, so a cold start pays only for the models its first request
touches. Behaviour is otherwise the same; a model whose definition is broken fails on first
use instead of at import, which the unit tests (they use every model) still catch.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    model_config = ConfigDict(defer_build=True)
