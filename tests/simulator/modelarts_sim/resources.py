"""The resources of the simulated API, one line each, in the order the simulator builds them.

A resource is a ``base.Resource`` subclass in its own module (README.md, "Adding a resource"): adding one is that
module plus its line here. The catalogue comes first (the notebooks use it), then the notebooks (what every other
resource hangs on).
"""

from .all_notebooks import AllNotebooks
from .catalog import Catalog
from .images import Images
from .lease import Lease
from .notebooks import NotebookStore
from .storage import Storage
from .tags import Tags
from .workspaces import Workspaces

RESOURCES = (
    Catalog,
    NotebookStore,
    Lease,
    Tags,
    Storage,
    AllNotebooks,
    Workspaces,
    Images,
)
