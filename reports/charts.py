"""The main breakdown of a result as a PNG bar chart, rendered on the server."""

import io
import textwrap

BAR_COLOR = "#2f5d8a"


def render_png(chart: dict | None) -> bytes | None:
    """Horizontal bars, largest first as listed; None when there is nothing to draw."""
    if not chart or not chart.get("values") or not any(chart["values"]):
        return None
    # Imported here: matplotlib is slow to import and only email delivery draws charts.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    labels = ["\n".join(textwrap.wrap(str(label), 32)) for label in chart["labels"]]
    values = chart["values"]
    height = 1.2 + 0.45 * len(values) + 0.15 * sum(label.count("\n") for label in labels)
    figure = Figure(figsize=(8, height), dpi=110)
    axes = figure.add_subplot()
    positions = list(range(len(values)))[::-1]
    bars = axes.barh(positions, values, color=BAR_COLOR)
    axes.set_yticks(positions, labels, fontsize=9)
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=3, fontsize=9)
    axes.set_title(chart.get("title", ""), fontsize=11, loc="left")
    axes.set_xlabel(chart.get("series_label", ""), fontsize=9)
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max(values) * 1.15 or 1)
    if all(float(v).is_integer() for v in values):
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _number(value) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.1f}".replace(".", ",")
    return f"{int(value)}"
