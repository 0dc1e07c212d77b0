"""A schematic map of the 18 regions: one square per region, placed roughly where it lies (a tile-grid map), the five
overseas regions as insets below. No outline data to license, and it reads as well as a real map at this scale.
The page draws it as inline SVG; the table next to it carries the same figures."""

from dataclasses import dataclass

from dashboard.selectors import RegionFigure

TILE, STEP, MARGIN = 78, 84, 8
# Region code -> (abbreviation, column, row) in tiles; rows 0-4 metropolitan France, row 5.75 the overseas insets.
LAYOUT = {
    "32": ("HDF", 2.5, 0),
    "28": ("NOR", 1.5, 1),
    "11": ("IDF", 2.5, 1),
    "44": ("GE", 3.5, 1),
    "53": ("BRE", 0, 2),
    "52": ("PDL", 1, 2),
    "24": ("CVL", 2, 2),
    "27": ("BFC", 3, 2),
    "75": ("NA", 1.5, 3),
    "84": ("ARA", 2.5, 3),
    "76": ("OCC", 2, 4),
    "93": ("PACA", 3, 4),
    "94": ("COR", 4.2, 4.5),
    "01": ("GUA", 0, 5.75),
    "02": ("MAR", 1, 5.75),
    "03": ("GUY", 2, 5.75),
    "04": ("LRE", 3, 5.75),
    "06": ("MAY", 4, 5.75),
}
WIDTH = round(MARGIN * 2 + 4.2 * STEP + TILE)
HEIGHT = round(MARGIN * 2 + 5.75 * STEP + TILE)
INSET_Y = round(MARGIN + 5.75 * STEP - 30)  # the frame of the overseas insets, with its label
GEOMETRY = {
    "width": WIDTH,
    "height": HEIGHT,
    "tile": TILE,
    "inset_x": 2,
    "inset_y": INSET_Y,
    "inset_width": WIDTH - 4,
    "inset_height": HEIGHT - INSET_Y - 2,
    "inset_label_x": MARGIN + 4,
    "inset_label_y": INSET_Y + 20,
}


@dataclass
class Tile:
    code: str
    abbreviation: str
    x: int
    y: int
    level: str  # colour class suffix: na, 0-4, or out (outside the user's scope)
    title: str
    figure: str  # the percentage written on the tile

    @property
    def cx(self) -> int:
        return self.x + TILE // 2

    @property
    def text_y(self) -> int:
        return self.y + TILE // 2 - 4

    @property
    def figure_y(self) -> int:
        return self.y + TILE // 2 + 18


def tiles(figures: list[RegionFigure], names: dict[str, str]) -> list[Tile]:
    """Every region as a tile; those outside the scope (no figure) in grey, without figures."""
    by_code = {f.code: f for f in figures}
    result = []
    for code, (abbreviation, col, row) in LAYOUT.items():
        x, y = round(MARGIN + col * STEP), round(MARGIN + row * STEP)
        figure = by_code.get(code)
        if figure is None:
            result.append(
                Tile(code, abbreviation, x, y, "out", f"{names.get(code, code)} : hors périmètre", "")
            )
            continue
        if figure.target:
            title = (
                f"{figure.name} : {figure.published} publié{'s' if figure.published > 1 else ''} "
                f"pour un objectif de {figure.target} ({figure.percent} %)"
            )
            text = f"{figure.percent} %"
        else:
            title = f"{figure.name} : {figure.published} publié{'s' if figure.published > 1 else ''}, pas d’objectif"
            text = str(figure.published)
        result.append(Tile(code, abbreviation, x, y, figure.level, title, text))
    return result


LEGEND = [
    ("na", "objectif non fixé (le nombre de publiés est inscrit)"),
    ("0", "moins de 25 % de l’objectif"),
    ("1", "de 25 à 49 %"),
    ("2", "de 50 à 74 %"),
    ("3", "de 75 à 99 %"),
    ("4", "objectif atteint (100 % et plus)"),
]
