"""Fast tests of the report's inline SVG drawings."""

import xml.etree.ElementTree as ElementTree

from inspection import svg

EDGES = [("Gen", "Stats"), ("Stats", "Schema"), ("Gen", "Transform"), ("Schema", "Transform")]


def test_layers_are_longest_paths():
    assert svg.node_layers(["Gen", "Stats", "Schema", "Transform", "Resolver"], EDGES) == {
        "Gen": 0, "Stats": 1, "Schema": 2, "Transform": 3, "Resolver": 0,
    }


def test_dag_is_well_formed_svg_with_one_coloured_box_per_node():
    drawing = svg.dag([("Gen", "COMPLETE", 1.0), ("Stats", "CACHED", 0.1), ("Schema", "FAILED", 0.2),
                       ("Transform", "RUNNING", 3.0)], EDGES)
    root = ElementTree.fromstring(drawing)
    namespace = "{http://www.w3.org/2000/svg}"
    rectangles = root.findall(f".//{namespace}g/{namespace}rect")
    assert [r.get("fill") for r in rectangles] == [svg.STATE_COLOURS[s] for s in ("COMPLETE", "CACHED", "FAILED", "RUNNING")]
    assert len(root.findall(f"{namespace}path")) == len(EDGES)
    assert "FAILED · 0.2 s" in drawing


def test_long_node_ids_are_shortened_to_fit_their_box():
    drawing = svg.dag([("latest_blessed_model_resolver", "COMPLETE", 0.0)], [])
    assert "latest_blessed_model_re…" in drawing


def test_line_chart_draws_each_series_and_nothing_without_points():
    chart = svg.line_chart({"loss": [(10, 1.0), (20, 0.5)], "val_loss": [(10, 1.1), (20, 0.7)]}, "loss", "step")
    root = ElementTree.fromstring(chart)
    assert len(root.findall("{http://www.w3.org/2000/svg}polyline")) == 2
    assert svg.line_chart({}, "loss", "step") == ""


def test_histogram_scales_bars_to_the_shared_scale():
    drawing = svg.histogram([(0, 1, 1), (1, 2, 2)], "#000", scale=4, height=42)
    heights = [float(r.get("height")) for r in ElementTree.fromstring(drawing)]
    assert heights == [10.0, 20.0]
