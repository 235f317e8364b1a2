"""Lists shown a page at a time, each page built to fit one USSD screen.

A page is laid out as if every line carried its mark and the widest retry line
sat on top, so what a villager sees fits whatever happens, and a page holds the
same lines from one input to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from functools import lru_cache

from menus.budget import fits_ussd
from menus.types import State
from menus.validate import Invalid, choice

MORE = 9


@dataclass(frozen=True)
class Listing:
    """A list to page through: title, lines, and the footer under each page."""

    title: str
    lines: tuple[str, ...]
    footer: tuple[str, str]  # the footer on the last page, and on a page with more after it
    reserve: str = ""  # the widest line that may be shown above the screen
    keys: int = 8  # how many numbers a page may use (1..keys); 0: lines are not numbered
    mark: str = ""  # the mark a line may carry, e.g. a selected skill
    ellipsis: str = "..."


@dataclass(frozen=True)
class Pages:
    """A listing cut into pages; lines too long for any page are clipped."""

    listing: Listing
    lines: tuple[str, ...]
    ranges: tuple[range, ...]

    def count(self) -> int:
        """How many pages there are (at least one)."""
        return len(self.ranges)

    def render(self, page: int, marked: Collection[int] = ()) -> str:
        """The screen of one page; lines whose index is in `marked` carry the mark."""
        page = min(page, self.count() - 1)
        body = [
            _line(self.listing, number, self.lines[index], index in marked)
            for number, index in enumerate(self.ranges[page], 1)
        ]
        return _screen(self.listing, body, page + 1 < self.count())


def _line(listing: Listing, number: int, text: str, marked: bool) -> str:
    """One line of a page: its number, its mark and its text."""
    prefix = f"{number} " if listing.keys else ""
    return f"{prefix}{listing.mark if marked else ''}{text}"


def _screen(listing: Listing, body: list[str], more: bool) -> str:
    """Title, lines and footer joined into one screen."""
    parts = [listing.title] if listing.title else []
    return "\n".join([*parts, *body, listing.footer[more]])


def _fits(listing: Listing, texts: list[str], more: bool) -> bool:
    """True when these texts fit one page in the worst case (all marked, retry on top)."""
    body = [_line(listing, listing.keys or 1, text, True) for text in texts]
    screen = _screen(listing, body, more)
    return fits_ussd(f"{listing.reserve}\n{screen}" if listing.reserve else screen)


def clip(text: str, fits: Callable[[str], bool], ellipsis: str) -> str:
    """The longest start of `text` (with an ellipsis if cut) that `fits` accepts."""
    if fits(text):
        return text
    low, high = 0, len(text) - 1  # text[:low] + ellipsis fits (or low is 0); text[:high+1] not
    while low < high:
        middle = (low + high + 1) // 2
        if fits(text[:middle].rstrip() + ellipsis):
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ellipsis


@lru_cache(maxsize=256)
def paginate(listing: Listing) -> Pages:
    """Cut a listing into pages, packing each with as many lines as fit."""
    lines = tuple(
        clip(text, lambda candidate: _fits(listing, [candidate], True), listing.ellipsis)
        for text in listing.lines
    )
    ranges: list[range] = []
    start = 0
    while start < len(lines):
        end = start + 1
        while (
            end < len(lines)
            and (not listing.keys or end - start < listing.keys)
            and _fits(listing, list(lines[start : end + 1]), end + 1 < len(lines))
        ):
            end += 1
        ranges.append(range(start, end))
        start = end
    return Pages(listing, lines, tuple(ranges) or (range(0),))


def page_of(state: State, pages: Pages) -> int:
    """The page the state is on, kept within the listing."""
    return max(0, min(int(state.get("page", 0)), pages.count() - 1))


def pick(pages: Pages, state: State, entry: str) -> int | None:
    """The index of the line chosen on the state's page, or None after turning to the next."""
    page = page_of(state, pages)
    number = choice(entry)
    if number == MORE:
        if page + 1 >= pages.count():
            raise Invalid("no_more")
        state["page"] = page + 1
        return None
    if pages.listing.keys and number is not None and 1 <= number <= len(pages.ranges[page]):
        return pages.ranges[page][number - 1]
    raise Invalid("retry")
