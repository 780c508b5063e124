"""The compile-time policy: what a script may contain, and the rewriting that makes limits enforceable.

Built on RestrictedPython's ``RestrictingNodeTransformer`` (which already turns attribute and item access
into guarded calls). On top of it this policy refuses imports, class definitions, ``global``, generators
and dangerous names with plain-English messages, inserts a step counter into every loop body,
comprehension and function, and turns ``**``, ``*``, ``<<``, ``+``, ``%`` into guarded helper calls.
"""

from __future__ import annotations

import ast
from typing import Any

from RestrictedPython.transformer import (
    INSPECT_ATTRIBUTES,
    IOPERATOR_TO_STR,
    RestrictingNodeTransformer,
    copy_locations,
)

# The brief's list, plus RestrictedPython's print machinery and introspection helpers. None of these is
# in the builtins table anyway; refusing them by name gives a clear message at deploy time.
REFUSED_NAMES = frozenset(
    [
        "exec",
        "eval",
        "compile",
        "open",
        "globals",
        "locals",
        "vars",
        "getattr",
        "setattr",
        "delattr",
        "hasattr",
        "__import__",
        "breakpoint",
        "input",
        "super",
        "print",
        "printed",
        "dir",
        "help",
        "builtins",
    ]
)
GUARDED_OPERATORS = {
    ast.Pow: "_pow_",
    ast.Mult: "_mul_",
    ast.LShift: "_lshift_",
    ast.Add: "_add_",
    ast.Mod: "_mod_",
}
STEP = "_step_"


class Refusal(str):
    """One compile-time error: the message (as the string) and its line."""

    line: int | None

    def __new__(cls, message: str, line: int | None) -> Refusal:
        refusal = super().__new__(cls, message)
        refusal.line = line
        return refusal


def _step_call(location: ast.AST) -> ast.Call:
    call = ast.Call(func=ast.Name(STEP, ast.Load()), args=[], keywords=[])
    copy_locations(call, location)
    return call


def _step_statement(location: ast.AST) -> ast.Expr:
    statement = ast.Expr(_step_call(location))
    copy_locations(statement, location)
    return statement


class ScriptPolicy(RestrictingNodeTransformer):
    """RestrictedPython's transformer with Nezarat's refusals and resource-limit rewriting."""

    def error(self, node: ast.AST, info: str) -> None:
        self.errors.append(Refusal(info, getattr(node, "lineno", None)))

    def not_allowed(self, node: ast.AST) -> None:
        self.error(node, f"'{type(node).__name__}' statements are not allowed in scripts")

    def refuse(self, node: ast.AST, message: str) -> None:
        self.error(node, message)

    # -- names and attributes --------------------------------------------------------------------

    def check_name(self, node: Any, name: str | None, allow_magic_methods: bool = False) -> None:
        if name is None or name == "_":
            return
        if name in REFUSED_NAMES:
            self.error(node, f"'{name}' is not available in scripts")
        elif name.startswith("_"):
            self.error(node, f"'{name}' is not available in scripts: names starting with '_' are reserved")

    def visit_Name(self, node: ast.Name) -> Any:
        if node.id in REFUSED_NAMES or (node.id.startswith("_") and node.id != "_"):
            self.check_name(node, node.id)
            return node
        return super().visit_Name(node)

    def visit_Attribute(self, node: ast.Attribute) -> Any:
        if node.attr.startswith("_"):
            self.error(
                node, f"'.{node.attr}' is not available in scripts: names starting with '_' are reserved"
            )
            return node
        if node.attr in INSPECT_ATTRIBUTES:
            self.error(node, f"'.{node.attr}' is not available in scripts")
            return node
        return super().visit_Attribute(node)

    def visit_Call(self, node: ast.Call) -> Any:
        if isinstance(node.func, ast.Name) and node.func.id in REFUSED_NAMES:
            self.check_name(node.func, node.func.id)
            return node
        return super().visit_Call(node)

    # -- refused statements --------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> Any:
        self.error(node, "imports are not allowed in scripts")

    visit_ImportFrom = visit_Import

    def visit_ClassDef(self, node: ast.ClassDef) -> Any:
        self.error(node, "class definitions are not allowed in scripts")

    def visit_Global(self, node: ast.Global) -> Any:
        self.error(node, "'global' is not allowed in scripts")

    def visit_Nonlocal(self, node: ast.Nonlocal) -> Any:
        self.error(node, "'nonlocal' is not allowed in scripts")

    def visit_Yield(self, node: ast.AST) -> Any:
        self.error(node, "'yield' is not allowed in scripts")

    visit_YieldFrom = visit_Yield

    def visit_AsyncFunctionDef(self, node: ast.AST) -> Any:
        self.error(node, "async code is not allowed in scripts")

    visit_Await = visit_AsyncFor = visit_AsyncWith = visit_AsyncFunctionDef

    def visit_TryStar(self, node: ast.AST) -> Any:
        self.error(node, "'except*' is not allowed in scripts")

    # -- step counting -------------------------------------------------------------------------

    def visit_While(self, node: ast.While) -> Any:
        node = super().visit_While(node)
        node.body.insert(0, _step_statement(node))
        return node

    def visit_For(self, node: ast.For) -> Any:
        node = super().visit_For(node)
        node.body.insert(0, _step_statement(node))
        return node

    def visit_comprehension(self, node: ast.comprehension) -> Any:
        node = super().visit_comprehension(node)
        node.ifs.insert(0, _step_call(node.iter))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> Any:
        node = super().visit_FunctionDef(node)
        node.body.insert(0, _step_statement(node))
        return node

    def visit_Lambda(self, node: ast.Lambda) -> Any:
        node = super().visit_Lambda(node)
        body = ast.BoolOp(op=ast.And(), values=[_step_call(node.body), node.body])
        copy_locations(body, node.body)
        node.body = body
        return node

    # -- guarded operators ---------------------------------------------------------------------

    def visit_BinOp(self, node: ast.BinOp) -> Any:
        node = super().visit_BinOp(node)
        helper = GUARDED_OPERATORS.get(type(node.op))
        if helper is None:
            return node
        call = ast.Call(func=ast.Name(helper, ast.Load()), args=[node.left, node.right], keywords=[])
        copy_locations(call, node)
        return call

    def visit_FormattedValue(self, node: ast.FormattedValue) -> Any:
        node = super().visit_FormattedValue(node)
        spec = node.format_spec if node.format_spec is not None else ast.Constant("")
        call = ast.Call(
            func=ast.Name("_format_", ast.Load()),
            args=[node.value, ast.Constant(node.conversion), spec],
            keywords=[],
        )
        copy_locations(call, node)
        node.value, node.conversion, node.format_spec = call, -1, None
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> Any:
        if isinstance(node.target, ast.Subscript):
            return self._augassign_item(node)
        if isinstance(node.target, ast.Attribute):
            self.error(node, "'+=' and similar on attributes are not allowed in scripts")
            return node
        return super().visit_AugAssign(node)

    def _augassign_item(self, node: ast.AugAssign) -> Any:
        """``d[k] += v`` becomes ``_tmp0 = d; _tmp1 = k; _write_(_tmp0)[_tmp1] = _inplacevar_('+=', _tmp0[_tmp1], v)``."""
        target = node.target
        assert isinstance(target, ast.Subscript)
        if isinstance(target.slice, ast.Slice):
            self.error(node, "'+=' and similar on slices are not allowed in scripts")
            return node
        holder, key = self.gen_tmp_name(), self.gen_tmp_name()
        container, index, value = self.visit(target.value), self.visit(target.slice), self.visit(node.value)
        current = _call("_getitem_", ast.Name(holder, ast.Load()), ast.Name(key, ast.Load()))
        update = _call("_inplacevar_", ast.Constant(IOPERATOR_TO_STR[type(node.op)]), current, value)
        slot = ast.Subscript(
            _call("_write_", ast.Name(holder, ast.Load())), ast.Name(key, ast.Load()), ast.Store()
        )
        statements = [
            ast.Assign(targets=[ast.Name(holder, ast.Store())], value=container),
            ast.Assign(targets=[ast.Name(key, ast.Store())], value=index),
            ast.Assign(targets=[slot], value=update),
        ]
        for statement in statements:
            copy_locations(statement, node)
        return statements


def _call(name: str, *args: ast.expr) -> ast.Call:
    return ast.Call(func=ast.Name(name, ast.Load()), args=list(args), keywords=[])
