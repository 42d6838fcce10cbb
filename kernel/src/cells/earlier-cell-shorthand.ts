/**
 * Expands shorthand properties that name an earlier cell's declaration: `{ plain }` →
 * `{ plain: exports.plain }` (and mends `export { plain }`, see below). tslab's converter
 * rewrites references to earlier cells into `exports.name` (where the executor keeps them), but
 * asks the checker for the symbol of a shorthand's name, which is the new *property*, so
 * `{ plain }` stayed a bare, undefined `plain`. The value symbol says which variable the
 * shorthand reads; a same-named parameter or local (`function f(plain) { return { plain } }`)
 * resolves to itself and is left alone. Runs as a `before` transformer, on the type-checked
 * tree, with source-map ranges kept.
 */
import type * as TS from "typescript";

type Ts = typeof TS;

/** Wraps a watch host so every emit of its builder programs also runs the expansion. */
export function withEarlierCellShorthands<H extends TS.WatchCompilerHost<TS.BuilderProgram>>(
  ts: Ts, host: H, isEarlierCellFile: (fileName: string) => boolean,
): H {
  const createProgram = host.createProgram;
  host.createProgram = (...args: Parameters<typeof createProgram>) => {
    const builder = createProgram(...args);
    const emit = builder.emit.bind(builder);
    builder.emit = (
      file?: TS.SourceFile, write?: TS.WriteFileCallback, cancel?: TS.CancellationToken, dtsOnly?: boolean, custom?: TS.CustomTransformers,
    ) => {
      const expand = expandEarlierCellShorthands(ts, builder.getProgram().getTypeChecker(), isEarlierCellFile);
      return emit(file, write, cancel, dtsOnly, { ...custom, before: [expand, ...(custom?.before ?? [])] });
    };
    return builder;
  };
  return host;
}

export function expandEarlierCellShorthands(
  ts: Ts, checker: TS.TypeChecker, isEarlierCellFile: (fileName: string) => boolean,
): TS.TransformerFactory<TS.SourceFile> {
  const isEarlierCell = (symbol: TS.Symbol | undefined) =>
    symbol?.declarations?.some((d) => isEarlierCellFile(d.getSourceFile().fileName)) ?? false;
  const fromEarlierCell = (node: TS.ShorthandPropertyAssignment) => isEarlierCell(checker.getShorthandAssignmentValueSymbol(node));

  return (context) => {
    const { factory } = context;
    const visit = (node: TS.Node): TS.VisitResult<TS.Node> => {
      if (ts.isExportDeclaration(node)) return withoutEarlierCellExports(node);
      if (!ts.isShorthandPropertyAssignment(node) || !fromEarlierCell(node)) return ts.visitEachChild(node, visit, context);
      const name = node.name.text;
      const value = ts.setSourceMapRange(
        factory.createPropertyAccessExpression(factory.createIdentifier("exports"), factory.createIdentifier(name)), node.name);
      // `({ plain = 1 } = obj)` assigns to the earlier `plain`, with a default
      const initializer = node.objectAssignmentInitializer && (ts.visitNode(node.objectAssignmentInitializer, visit) as TS.Expression);
      const expanded = factory.createPropertyAssignment(
        ts.setTextRange(factory.createIdentifier(name), node.name),
        initializer ? ts.setSourceMapRange(factory.createAssignment(value, initializer), node) : value,
      );
      return ts.setOriginalNode(ts.setTextRange(expanded, node), node);
    };

    /**
     * `export { plain }` naming an earlier cell's value compiled to `exports.plain = void 0`, which
     * wiped it: the name already persists, so drop it. `export { plain as alias }` becomes
     * `export const alias = exports.plain` (like a local renamed export: a value, no type).
     */
    const withoutEarlierCellExports = (node: TS.ExportDeclaration): TS.VisitResult<TS.Node> => {
      const clause = node.exportClause;
      if (node.moduleSpecifier || node.isTypeOnly || !clause || !ts.isNamedExports(clause)) return node;
      const earlier = (s: TS.ExportSpecifier) =>
        !s.isTypeOnly && ts.isIdentifier(s.name) && isEarlierCell(checker.getExportSpecifierLocalTargetSymbol(s));
      const moved = clause.elements.filter(earlier);
      if (moved.length === 0) return node;
      const kept = clause.elements.filter((s) => !earlier(s));
      const aliases = moved.filter((s) => s.propertyName).map((s) => ts.setTextRange(factory.createVariableStatement(
        [factory.createModifier(ts.SyntaxKind.ExportKeyword)],
        factory.createVariableDeclarationList([factory.createVariableDeclaration(
          (s.name as TS.Identifier).text, undefined, undefined,
          factory.createPropertyAccessExpression(factory.createIdentifier("exports"), (s.propertyName as TS.Identifier).text),
        )], ts.NodeFlags.Const)), s));
      const rest = kept.length === 0 ? [] : [factory.updateExportDeclaration(
        node, node.modifiers, node.isTypeOnly, factory.updateNamedExports(clause, kept), node.moduleSpecifier, node.attributes)];
      return [...rest, ...aliases];
    };
    return (file) => ts.visitEachChild(file, visit, context);
  };
}
