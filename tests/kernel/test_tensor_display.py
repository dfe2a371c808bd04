"""TensorFlow.js tensors and models display with their values and summary (not the engine's fields);
probing WebGPU leaves Dawn's native warnings out of the cell."""
from __future__ import annotations

import re


def outputs_of(run, msg_type):
    return [m["content"] for m in run.of_type(msg_type)]


def test_a_tensor_as_a_cell_value_shows_its_values_shape_dtype_and_backend(kernel):
    run = kernel.execute('import * as tf from "@tensorflow/tfjs";\ntf.tensor([[1, 2.5, 3], [4, 5, 6]])')
    assert run.status == "ok", run.all_text()
    (result,) = outputs_of(run, "execute_result")
    text = result["data"]["text/plain"]
    assert re.match(r"Tensor float32 \[2,3\] on \S+\n    \[\[1, 2\.5, 3\],\n     \[4, 5  , 6\]\]$", text), text
    for internal in ("kept", "isDisposedInternal", "dataId", "strides"):
        assert internal not in text
    html = result["data"]["text/html"]
    assert html.startswith("<table>") and html.count("<td>") == 6


def test_display_of_a_tensor_and_a_disposed_tensor(kernel):
    run = kernel.execute('import * as tf from "@tensorflow/tfjs";\nconst shown = tf.range(0, 4);\ndisplay(shown);\nshown.dispose();\nshown')
    assert run.status == "ok", run.all_text()
    (shown,) = outputs_of(run, "display_data")
    assert re.match(r"Tensor float32 \[4\] on \S+\n    \[0, 1, 2, 3\]$", shown["data"]["text/plain"])
    assert "<table>" in shown["data"]["text/html"]
    (result,) = outputs_of(run, "execute_result")
    assert result["data"]["text/plain"] == "Tensor float32 [4] (disposed: its data is freed)"


def test_a_large_tensor_shows_a_summary(kernel):
    run = kernel.execute('import * as tf from "@tensorflow/tfjs";\ntf.range(0, 100000).reshape([100, 1000])')
    assert run.status == "ok", run.all_text()
    (result,) = outputs_of(run, "execute_result")
    text = result["data"]["text/plain"]
    assert re.match(r"Tensor float32 \[100,1000\] on \S+\n100,000 values, 391 KiB\nmin 0  max 99999  mean 49999\.5\nfirst values: \[0, 1, 2,", text), text
    assert "<th>mean</th>" in result["data"]["text/html"]


def test_a_layers_model_shows_its_summary(kernel):
    code = (
        'import * as tf from "@tensorflow/tfjs";\n'
        'tf.sequential({ name: "tiny", layers: [tf.layers.dense({ units: 4, inputShape: [3], name: "hidden" }), tf.layers.dense({ units: 1, name: "out" })] })'
    )
    run = kernel.execute(code)
    assert run.status == "ok", run.all_text()
    (result,) = outputs_of(run, "execute_result")
    assert result["data"]["text/plain"].startswith('Sequential "tiny"\n')
    assert "Total params: 21" in result["data"]["text/plain"]
    assert "<td>hidden (Dense)</td><td>[null, 4]</td><td>16</td>" in result["data"]["text/html"]


def test_user_classes_keep_their_own_display(kernel):
    code = 'class Pt { [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>pt</b>" }; } }\nnew Pt()'
    (result,) = outputs_of(kernel.execute(code), "execute_result")
    assert result["data"]["text/html"] == "<b>pt</b>"


def test_probing_webgpu_in_a_cell_prints_nothing_on_stderr(fresh_kernel):
    run = fresh_kernel.execute('import { probeBackend } from "tsgpu";\nconst probe = await probeBackend("webgpu");\nprobe.available', timeout=180)
    assert run.status == "ok", run.all_text()
    assert run.stream_text("stderr") == "", run.stream_text("stderr")
    assert "artificially reduced" not in run.all_text()
