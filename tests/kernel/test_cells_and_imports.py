"""Notebook-style cells work: re-declarations, top-level await, imports of builtins, packages and local .ts files, and the compiler options in effect."""
from __future__ import annotations

import json

import pytest

from harness import RunningKernel


def test_const_let_class_and_function_can_be_redeclared_in_later_cells(kernel):
    declare = "const rd = {value};\nlet rl = {value};\nclass RC {{ v = {value}; }}\nfunction rf() {{ return {value}; }}"
    assert kernel.execute(declare.format(value=1)).status == "ok"
    again = kernel.execute(declare.format(value=10))
    assert again.status == "ok", again.all_text()
    assert kernel.value("rd + rl + new RC().v + rf()") == "40"
    # The same cell run twice (re-running a notebook cell).
    assert kernel.execute(declare.format(value=10)).status == "ok"


def test_a_redeclared_const_takes_its_new_type(kernel):
    assert kernel.execute("const retyped = 5;").status == "ok"
    assert kernel.value('const retyped = "five";\nretyped.length') == "4"


def test_top_level_await_gives_the_value_and_keeps_bindings(kernel):
    assert kernel.value("const awaited = await new Promise<number>((r) => setTimeout(() => r(21), 10));\nawaited * 2") == "42"
    assert kernel.value("awaited") == "21"


def test_a_rejected_top_level_await_fails_the_cell(kernel):
    run = kernel.execute('await Promise.reject(new TypeError("rejected here"))')
    assert run.status == "error"
    assert (run.error()["ename"], run.error()["evalue"]) == ("TypeError", "rejected here")


def test_imports_a_node_builtin(kernel):
    assert kernel.value('import { basename } from "node:path";\nbasename("/a/b/c.txt")') == "'c.txt'"


def test_imports_a_commonjs_package_from_node_modules_beside_the_notebook(kernel):
    assert kernel.value('import { greet, kind } from "cjs-greeter";\n[greet("ada"), kind]') == "[ 'hello ada', 'cjs' ]"


def test_imports_an_esm_only_package(kernel):
    assert kernel.value('import label, { triple, isReady } from "esm-tripler";\n[triple(2), isReady, label]') == "[ 6, true, 'esm-default' ]"


def test_importing_a_missing_package_names_it_and_the_kernel_goes_on(kernel):
    run = kernel.execute('import nothing from "no-such-package-xyz";\nnothing')
    assert run.status == "error"
    assert "no-such-package-xyz" in run.all_text()
    assert kernel.value("1") == "1"


def test_package_type_declarations_are_used_for_checking(kernel):
    run = kernel.execute('import { greet } from "cjs-greeter";\nconst wrong: number = greet("x");')
    assert run.status == "error"
    assert run.error()["ename"] == "TSError"
    assert "TS2322" in run.error()["evalue"]


@pytest.mark.parametrize("specifier", ["./helper", "./helper.ts"])
def test_imports_a_relative_ts_file(kernel, specifier):
    code = f'import {{ double, boxed, type Box }} from "{specifier}";\nconst b: Box = boxed;\ndouble(b.value)'
    assert kernel.value(code) == "14"


def test_packages_resolve_from_node_modules_up_the_tree(workdir):
    nested = workdir / "notebooks" / "deeper"
    nested.mkdir(parents=True, exist_ok=True)
    k = RunningKernel(cwd=nested)
    try:
        assert k.value('import { greet } from "cjs-greeter";\ngreet("up")') == "'hello up'"
        assert k.value('import { triple } from "esm-tripler";\ntriple(3)') == "9"
    finally:
        k.close()


def test_without_a_tsconfig_es2022_node_and_its_web_api_types_are_known(kernel):
    code = (
        "const last: number | undefined = [1, 2, 3].at(-1);\n"  # ES2022
        'const own: boolean = Object.hasOwn({ a: 1 }, "a");\n'  # ES2022
        "const version: string = process.version;\n"  # Node types
        "const maybe: Response | undefined = undefined;\n"  # Node's fetch types (@types/node), no DOM lib
        "[last, own, typeof fetch, typeof setTimeout, version.startsWith('v'), maybe]"
    )
    assert kernel.value(code) == "[ 3, true, 'function', 'function', true, undefined ]"


def test_dom_types_come_with_a_lib_reference_for_that_cell_and_later_ones(fresh_kernel):
    # A kernel of its own: the shared one must keep the default libs for the other suites.
    kernel = fresh_kernel
    without = kernel.execute("typeof document")
    assert without.status == "error" and "TS2584" in without.error()["evalue"], without.all_text()
    assert kernel.value('/// <reference lib="dom" />\nconst domAtRuntime = typeof document;\ndomAtRuntime') == "'undefined'"
    # A later cell still has the DOM's types (Node has no document at run time).
    assert kernel.value("const heading: HTMLElement | undefined = undefined;\n[typeof window, heading]") == "[ 'undefined', undefined ]"
    unknown = kernel.execute('/// <reference lib="nosuchlib" />\n1')
    assert unknown.status == "error" and "TS2726" in unknown.error()["evalue"], unknown.all_text()


def test_import_equals_require(kernel):
    assert kernel.value('import os = require("node:os");\ntypeof os.cpus().length') == "'number'"
    assert kernel.value('import greeter = require("cjs-greeter");\ngreeter.greet("b")') == "'hello b'"


def test_a_tsconfig_beside_the_notebook_is_respected(tmp_path):
    implicit_any = "function identity(value) { return value; }\nidentity(5)"
    strict_default = RunningKernel(cwd=tmp_path)
    try:
        run = strict_default.execute(implicit_any)
        assert run.status == "error" and "TS7006" in run.error()["evalue"], "the default is not strict"
    finally:
        strict_default.close()
    (tmp_path / "tsconfig.json").write_text(json.dumps({"compilerOptions": {"strict": False}}))
    relaxed = RunningKernel(cwd=tmp_path)
    try:
        assert relaxed.value(implicit_any) == "5"
    finally:
        relaxed.close()
