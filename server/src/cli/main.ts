/** The `sourcemark` executable: wires `run` to the process. */
import { run } from './run';

/** Colours when stdout is a terminal, unless NO_COLOR is set (https://no-color.org); FORCE_COLOR forces them. */
function wantsColor(): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '' && force !== '0' && force !== 'false') return true;
  return Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
}

run(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: wantsColor(),
  stderrIsTTY: Boolean(process.stderr.isTTY),
}).then((code) => {
  // exitCode, not exit(): lets a large report finish flushing to a pipe.
  process.exitCode = code;
});
