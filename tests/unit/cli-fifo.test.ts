import { execFile, execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, readInput } from '../../cli/assess';

/**
 * A FIFO given as input must be refused at once: opening one for reading blocks until a writer appears, which
 * would hang the CLI (and pin a libuv thread) forever. `readInput` refuses anything that is not a regular file
 * or folder before opening it.
 */
const dir = mkdtempSync(join(tmpdir(), 'tace-fifo-'));
const fifo = join(dir, 'export.ndjson');
let mkfifoProblem: string | undefined;
try {
  execFileSync('mkfifo', [fifo], { stdio: 'pipe' });
} catch (error) {
  mkfifoProblem = `mkfifo is unavailable here (${error instanceof Error ? error.message : String(error)})`;
}

/** Opens and closes the write end without blocking: releases a reader stuck in open() if the check regressed. */
function releaseReaders(): void {
  try {
    closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
  } catch {
    // ENXIO: nobody is reading, nothing to release.
  }
}

afterAll(() => {
  releaseReaders();
  rmSync(dir, { recursive: true, force: true });
});

function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`still blocked after ${ms} ms (the FIFO was opened)`)), ms),
    ),
  ]);
}

describe('CLI input that is a FIFO', () => {
  it('readInput refuses it with an InputError within a second', async (context) => {
    if (mkfifoProblem) context.skip(`skipped: ${mkfifoProblem}`);
    const started = Date.now();
    const error = await within(1000, readInput(fifo)).then(
      () => new Error('a FIFO was read as input'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(`${fifo}: not a regular file or folder`);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('the CLI exits 2 with one line on stderr and nothing on stdout', async (context) => {
    if (mkfifoProblem) context.skip(`skipped: ${mkfifoProblem}`);
    // The limit covers tsx start-up on a loaded machine; a blocked open would never return and is killed.
    const run = await new Promise<{
      code: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
    }>((done) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', 'cli/assess.ts', fifo],
        { timeout: 20_000, killSignal: 'SIGKILL' },
        (error, stdout, stderr) => {
          const failure = error as (Error & { code?: number; signal?: string }) | null;
          done({
            code: failure ? (typeof failure.code === 'number' ? failure.code : null) : 0,
            signal: failure?.signal ?? null,
            stdout,
            stderr,
          });
        },
      );
    });
    expect(run.signal).toBeNull();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`assess: ${fifo}: not a regular file or folder\n`);
  }, 30_000);
});
