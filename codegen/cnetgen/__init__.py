"""cnet's code generator: spec/*.yaml -> typed model -> Jinja2 templates -> generated/."""

from .loader import SpecError
from .model import load_spec
from .render import TARGETS, Renderer

__all__ = ["SpecError", "load_spec", "Renderer", "TARGETS"]
