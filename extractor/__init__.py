"""Extract investment projects from Chinese news articles into validated records."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("zh-project-extractor")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"

__all__ = ["__version__"]
