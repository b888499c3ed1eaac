/**
 * The lines of the files findings point into, each file read and indexed once (where each line starts):
 * a line is then a slice, not a split of the whole file for every finding (20,000 findings in a 20,000-line
 * Dockerfile were quadratic).
 */
export class SourceLines {
  private files = new Map<string, { text: string; starts: number[] } | null>();
  constructor(private readonly read: (file: string) => string | null) {}

  private indexed(file: string): { text: string; starts: number[] } | null {
    let s = this.files.get(file);
    if (s === undefined) {
      const text = this.read(file);
      if (text === null) s = null;
      else {
        const starts = [0];
        for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
        s = { text, starts };
      }
      this.files.set(file, s);
    }
    return s;
  }

  /** How many lines the file has (as split on "\n"); null when it cannot be read. */
  count(file: string): number | null {
    return this.indexed(file)?.starts.length ?? null;
  }

  /** Line n (from 1) of the file, without its "\n"; null when there is no such line or no file. */
  line(file: string, n: number): string | null {
    const s = this.indexed(file);
    if (!s || n < 1 || n > s.starts.length) return null;
    return s.text.slice(s.starts[n - 1], n < s.starts.length ? s.starts[n]! - 1 : s.text.length);
  }
}
