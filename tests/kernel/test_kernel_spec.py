"""jupyter_kernel_test's conformance suite for the tsgpu kernel, every optional sample set.

Deliberately unset: `code_page_something`. TypeScript has no pager convention (nothing
like IPython's `obj?` that answers with a `page` payload); documentation for a name is
served by inspect_request instead, which `code_inspect_sample` covers.
"""
from __future__ import annotations

import os
import tempfile

import jupyter_kernel_test

from harness import tiny_png, ts_bytes

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><rect width="4" height="4"/></svg>'
# A JPEG's first bytes (SOI, APP0 "JFIF"); display.jpeg only base64-encodes what it gets.
JPEG_START = bytes([0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00])


class TsgpuKernelTests(jupyter_kernel_test.KernelTests):
    @classmethod
    def setUpClass(cls):
        # History persists across kernels in the Jupyter data dir; the conformance suite's
        # history search counts cells matching "await Promise*", so its kernel keeps its own file
        # instead of seeing the cells the other suites ran.
        saved = os.environ.get("TSGPU_HISTORY_FILE")
        cls._history_dir = tempfile.TemporaryDirectory(prefix="tsgpu-spec-history-")
        os.environ["TSGPU_HISTORY_FILE"] = os.path.join(cls._history_dir.name, "history.jsonl")
        try:
            super().setUpClass()
        finally:
            if saved is None:
                os.environ.pop("TSGPU_HISTORY_FILE", None)
            else:
                os.environ["TSGPU_HISTORY_FILE"] = saved

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls._history_dir.cleanup()

    kernel_name = "tsgpu"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("something went wrong")'

    # Matches are compared as sets: the kernel must return exactly the members that
    # start with the typed prefix.
    completion_samples = [
        {"text": 'const greeting = "hi"; greeting.toUpperC', "matches": {"toUpperCase"}},
        {"text": "Math.LN", "matches": {"LN10", "LN2"}},
        {"text": "[1, 2].flat", "matches": {"flat", "flatMap"}},
        {"text": "interface Pt { xCoord: number; yCoord: number }\ndeclare const p: Pt;\np.", "matches": {"xCoord", "yCoord"}},
        {"text": "const myLongVariableName = 1;\nmyLongVar", "matches": {"myLongVariableName"}},
    ]

    complete_code_samples = [
        "1 + 1",
        "const x: number = 1;",
        "function f(a: number) { return a * 2 }",
        'console.log("done")',
        "for (const i of [1, 2]) { i }",
        "interface P { x: number }",
        "await Promise.resolve(1)",
        'const wrongType: number = "text";',  # is_complete is about syntax, not types
    ]
    incomplete_code_samples = [
        "function f() {",
        "if (true) {\n  console.log(1);",
        "const a = [1, 2,",
        "console.log(",
        "const s = `multi\nline",
        "class C {\n  m(): number {\n    return 1;\n  }",
    ]
    invalid_code_samples = [
        "}",
        "let 5 = x;",
        "const x = );",
        "1 +* 2",
    ]

    code_generate_error = 'throw new Error("this cell fails on purpose")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": '({ a: 1, b: "two" })', "result": "{ a: 1, b: 'two' }"},
        {"code": 'new Map([["k", 1]])', "result": "Map(1) { 'k' => 1 }"},
        {"code": "10n ** 20n", "result": "100000000000000000000n"},
        {"code": "await Promise.resolve(42)", "result": "42"},
        {
            "code": '({ [Symbol.for("Jupyter.display")]() { return { "text/html": "<b>rich</b>", "text/plain": "rich" }; } })',
            "mime": "text/html",
            "result": "<b>rich</b>",
        },
    ]

    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# A title")', "mime": "text/markdown"},
        {"code": f"display.svg({SVG!r})", "mime": "image/svg+xml"},
        {"code": f"display.png({ts_bytes(tiny_png())})", "mime": "image/png"},
        {"code": f"display.jpeg({ts_bytes(JPEG_START)})", "mime": "image/jpeg"},
        {"code": "display.json({ a: 1, b: [1, 2] })", "mime": "application/json"},
        {"code": 'display.latex("$x^2$")', "mime": "text/latex"},
        {"code": 'display.table([{ name: "a", n: 1 }, { name: "b", n: 2 }])', "mime": "text/html"},
        {"code": 'display.bundle({ "text/plain": "p", "text/html": "<i>p</i>" })', "mime": "text/html"},
        {
            "code": 'display({ [Symbol.for("Jupyter.display")]() { return { "text/markdown": "*md*", "text/plain": "md" }; } })',
            "mime": "text/markdown",
        },
    ]

    # Glob, matched against a whole cell: only "await Promise.resolve(42)" above.
    code_history_pattern = "await Promise*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = 'console.log("about to clear"); display.clear()'


class TsgpuIopubWelcomeTests(jupyter_kernel_test.IopubWelcomeTests):
    kernel_name = "tsgpu"
    support_iopub_welcome = True
