/** Just enough of source maps to map a generated line:column back: decode VLQ mappings, look up, compose. */

export interface Position { line: number; column: number } // both 0-based

type Segment = [genCol: number, srcLine: number, srcCol: number];

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

export class LineMap {
  private constructor(private readonly lines: Segment[][]) {}

  /** Parses the `mappings` of a version-3 source map (single source). */
  static fromJson(json: string): LineMap {
    const { mappings } = JSON.parse(json) as { mappings: string };
    const lines: Segment[][] = [];
    let srcLine = 0, srcCol = 0;
    for (const lineText of mappings.split(";")) {
      const segments: Segment[] = [];
      let genCol = 0;
      for (const seg of lineText.split(",")) {
        if (!seg) continue;
        const v = decodeVlq(seg);
        genCol += v[0];
        if (v.length >= 4) {
          srcLine += v[2];
          srcCol += v[3];
          segments.push([genCol, srcLine, srcCol]);
        }
      }
      lines.push(segments);
    }
    return new LineMap(lines);
  }

  static fromDataUrlComment(js: string): LineMap | undefined {
    const all = [...js.matchAll(/\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)/g)];
    const last = all[all.length - 1];
    return last ? LineMap.fromJson(Buffer.from(last[1], "base64").toString("utf8")) : undefined;
  }

  /** The source position of a generated one, or undefined when that line has no mapping. */
  lookup(p: Position): Position | undefined {
    const segments = this.lines[p.line];
    if (!segments || segments.length === 0) return undefined;
    let best = segments[0];
    for (const s of segments) if (s[0] <= p.column) best = s;
    return { line: best[1], column: best[2] + Math.max(0, p.column - best[0]) };
  }
}

export function stripSourceMapComments(js: string): string {
  return js.replace(/\n?\/\/# sourceMappingURL=[^\n]*/g, "");
}

function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0, shift = 0;
  for (const ch of text) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
