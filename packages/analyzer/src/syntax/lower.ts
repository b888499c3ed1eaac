// mvdan-sh's nodes are GopherJS objects: reading a field through the JS wrapper converts the Go value
// again ($externalize), which made field access the largest cost of an analysis (a 250 KB script took
// 2 s to walk, against 0.2 s to parse). So the tree is read once, from the Go objects behind the wrappers
// (`__internal_object__`: structs with Go field names, slices as {$array, $offset, $length}, the type
// in constructor.string), into plain objects that hold only what the interpreter reads.
// Nesting is bounded: past MAX_DEPTH a node becomes { type: "Deep" } and the caller is told.

/* eslint-disable @typescript-eslint/no-explicit-any */
export type LNode = any;

const MAX_DEPTH = 400;
/** mvdan/sh's token for `>(` (syntax/tokens.go: CmdOut; `<(` is CmdIn, one less). */
const PROC_SUBST_OUT = 67;

export interface Lowered {
  file: LNode;
  tooDeep: boolean;
}

/** A Go pointer or interface that is nil. */
const isNil = (x: any): boolean => x === null || x === undefined || !x.constructor || typeof x.constructor.string !== "string" || x === x.constructor.nil;

/** mvdan/sh packs a position as lineCol = line << 14 | column (syntax/nodes.go). */
const posOf = (p: any) => (p ? { line: p.lineCol >>> 14, col: p.lineCol & 0x3fff } : { line: 0, col: 0 });

export function lower(wrapped: any): Lowered {
  let tooDeep = false;
  const arr = (xs: any, d: number): LNode[] => {
    if (!xs || !xs.$array) return [];
    const out: LNode[] = [];
    for (let i = 0; i < xs.$length; i++) out.push(node(xs.$array[xs.$offset + i], d));
    return out;
  };
  const lit = (x: any): string | null => (isNil(x) ? null : x.Value);
  const node = (n: any, d: number): LNode => {
    if (isNil(n)) return null;
    if (d > MAX_DEPTH) {
      tooDeep = true;
      return { type: "Deep", line: 0, col: 0 };
    }
    const type: string = n.constructor.string.replace(/^\*syntax\./, "");
    const d1 = d + 1;
    switch (type) {
      case "File":
        return { type, stmts: arr(n.Stmts, d1) };
      case "Stmt": {
        const redirs = n.Redirs;
        const s: LNode = { type, ...posOf(n.Position), cmd: node(n.Cmd, d1), negated: n.Negated, background: n.Background, redirs: redirs ? redirs.$length : 0 };
        // `exec > >(tee log)`: a process substitution in a redirection is a child of the shell (bash, zsh,
        // mksh). Only present when there is one (the fast parser leaves such scripts to mvdan-sh).
        const subst: LNode[] = [];
        for (let i = 0; i < (redirs?.$length ?? 0); i++) {
          const parts = redirs.$array[redirs.$offset + i]?.Word?.Parts;
          for (let j = 0; j < (parts?.$length ?? 0); j++) {
            const part = parts.$array[parts.$offset + j];
            if (!isNil(part) && part.constructor.string === "*syntax.ProcSubst")
              subst.push({ type: "ProcSubst", writes: part.Op === PROC_SUBST_OUT, stmts: arr(part.Stmts, d1 + 2) });
          }
        }
        if (subst.length) s.procSubsts = subst;
        return s;
      }
      case "CallExpr":
        return { type, assigns: arr(n.Assigns, d1), args: arr(n.Args, d1) };
      case "Assign": {
        const a: LNode = { type, name: lit(n.Name), value: node(n.Value, d1), append: n.Append, naked: n.Naked };
        // a[i]=v and a=(…) (bash, mksh): only present when the assignment has them
        if (!isNil(n.Index)) a.index = node(n.Index, d1);
        if (!isNil(n.Array)) a.array = arr(n.Array.Elems, d1);
        return a;
      }
      case "ArrayElem":
        return { type, index: node(n.Index, d1), value: node(n.Value, d1) };
      case "Word": {
        const parts = arr(n.Parts, d1);
        const lit = parts.every((p) => p.type === "Lit") ? parts.map((p) => p.value).join("") : null;
        return { type, parts, lit };
      }
      case "Lit":
        return { type, value: n.Value };
      case "SglQuoted":
        return { type, value: n.Value, dollar: n.Dollar };
      case "DblQuoted":
        return { type, parts: arr(n.Parts, d1) };
      case "ParamExp": {
        const exp = isNil(n.Exp) ? null : n.Exp;
        const slice = isNil(n.Slice) ? null : n.Slice;
        const repl = isNil(n.Repl) ? null : n.Repl;
        const pe: LNode = {
          type, ...posOf(n.Dollar), param: lit(n.Param) ?? "", short: n.Short, length: n.Length, excl: n.Excl,
          index: node(n.Index, d1),
          exp: exp ? { op: exp.Op, word: node(exp.Word, d1) } : null,
          slice: slice ? { offset: node(slice.Offset, d1), length: node(slice.Length, d1) } : null,
          repl: repl ? { orig: node(repl.Orig, d1), with: node(repl.With, d1), all: repl.All } : null,
        };
        // ${!prefix@} and ${!prefix*} (bash): the names of the variables that start with prefix
        if (n.Names) pe.names = n.Names === 84 ? "@" : "*";
        return pe;
      }
      case "CmdSubst":
        return { type, stmts: arr(n.Stmts, d1) };
      case "ArithmExp":
      case "ArithmCmd":
        return { type, x: node(n.X, d1) };
      case "BinaryArithm":
        return { type, op: n.Op, x: node(n.X, d1), y: node(n.Y, d1) };
      case "UnaryArithm":
        // ++ and -- (which fast-parse does not read) say whether they come after the variable
        return n.Op === 36 || n.Op === 37 ? { type, op: n.Op, x: node(n.X, d1), post: n.Post } : { type, op: n.Op, x: node(n.X, d1) };
      case "ParenArithm":
        return { type, op: n.Op, x: node(n.X, d1) };
      case "BinaryCmd":
        return { type, op: n.Op, x: node(n.X, d1), y: node(n.Y, d1) };
      case "IfClause":
        return { type, cond: arr(n.Cond, d1), then: arr(n.Then, d1), else: node(n.Else, d1) };
      case "CaseClause":
        return { type, word: node(n.Word, d1), items: arr(n.Items, d1) };
      case "CaseItem":
        return { type, op: n.Op, patterns: arr(n.Patterns, d1), stmts: arr(n.Stmts, d1) };
      case "WhileClause":
        return { type, ...posOf(n.WhilePos), until: n.Until, cond: arr(n.Cond, d1), do: arr(n.Do, d1) };
      case "ForClause":
        return { type, loop: node(n.Loop, d1), do: arr(n.Do, d1) };
      case "WordIter":
        return { type, name: lit(n.Name) ?? "", items: arr(n.Items, d1), inPos: !!n.InPos && n.InPos.lineCol !== 0 };
      case "CStyleLoop":
        return { type, init: node(n.Init, d1), cond: node(n.Cond, d1), post: node(n.Post, d1) };
      case "FuncDecl":
        return { type, name: lit(n.Name) ?? "", body: node(n.Body, d1) };
      case "DeclClause":
        return { type, variant: lit(n.Variant) ?? "declare", args: arr(n.Args, d1) };
      case "TestClause":
        return { type, x: node(n.X, d1) };
      case "BinaryTest":
        return { type, op: n.Op, x: node(n.X, d1), y: node(n.Y, d1) };
      case "UnaryTest":
        return { type, op: n.Op, x: node(n.X, d1) };
      case "ParenTest":
        return { type, x: node(n.X, d1) };
      case "Block":
      case "Subshell":
        return { type, stmts: arr(n.Stmts, d1) };
      case "TimeClause":
        return { type, stmt: node(n.Stmt, d1) };
      case "LetClause":
      case "CoprocClause":
      case "TestDecl":
      case "ProcSubst":
      case "ExtGlob":
      case "BraceExp":
      default:
        return { type };
    }
  };
  const out = node(wrapped.__internal_object__ ?? wrapped, 0);
  return { file: out, tooDeep };
}
