"""Charts saved in a notebook show in nbconvert's HTML (and so on GitHub and nbviewer): nbconvert picks
text/html over image/png, so the chart's HTML embeds its PNG as an <img>, with no inline SVG, script or style."""
from __future__ import annotations

import base64
import re

import nbformat
import pytest
from nbconvert import HTMLExporter

TRAINING_MIME = "application/vnd.tsgpu.training+json"
COMPARISON_MIME = "application/vnd.tsgpu.comparison+json"

TRAIN = """
import * as tf from "@tensorflow/tfjs";
import { compare, trainingChart, use } from "tsgpu";
await use("cpu");
const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: "relu" }), tf.layers.dense({ units: 1 })] });
model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
const xs = tf.randomNormal([16, 3]);
const ys = tf.randomNormal([16, 1]);
await model.fit(xs, ys, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [trainingChart({ title: "tiny" })] });
await compare(() => tf.tidy(() => tf.matMul(tf.ones([8, 8]), tf.ones([8, 8]))), { backends: ["cpu"], repeats: 2, warmup: 1, title: "matmul" })
"""


def saved_outputs(run) -> list[dict]:
    """The outputs a front end would save: displays with their last update applied, then the result."""
    outputs: list[dict] = []
    by_id: dict[str, dict] = {}
    for message in run.outputs:
        kind, content = message["header"]["msg_type"], message["content"]
        display_id = content.get("transient", {}).get("display_id")
        if kind == "display_data":
            output = nbformat.v4.new_output("display_data", data=content["data"], metadata=content["metadata"])
            outputs.append(output)
            if display_id:
                by_id[display_id] = output
        elif kind == "update_display_data" and display_id in by_id:
            by_id[display_id]["data"] = content["data"]
        elif kind == "execute_result":
            outputs.append(nbformat.v4.new_output("execute_result", data=content["data"], metadata=content["metadata"], execution_count=content["execution_count"]))
    return outputs


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_training_and_comparison_charts_show_as_png_images_in_nbconvert_html(kernel):
    run = kernel.execute(TRAIN, timeout=180)
    assert run.status == "ok", run.all_text()
    outputs = saved_outputs(run)
    charts = [o for o in outputs if TRAINING_MIME in o["data"] or COMPARISON_MIME in o["data"]]
    assert len(charts) == 2
    for chart in charts:
        assert {"text/html", "image/png", "text/plain"} <= set(chart["data"])
        html = chart["data"]["text/html"]
        assert f'<img src="data:image/png;base64,{chart["data"]["image/png"]}"' in html
        assert not re.search(r"<svg|<script|<style|style=", html)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(TRAIN, outputs=outputs, execution_count=1)])
    body, _ = HTMLExporter().from_notebook_node(notebook)
    images = [base64.b64decode(m) for m in re.findall(r'<img[^>]+src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"', body)]
    assert len(images) >= 2 and all(i.startswith(b"\x89PNG\r\n\x1a\n") for i in images)
