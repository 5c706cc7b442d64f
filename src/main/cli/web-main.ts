/**
 * The bundle entry of browser mode (out/main/web.js, what `npm run web` starts): the `fedmem web`
 * subcommand of the one CLI, so both parse the same options (see `fedmem web --help`).
 */
import { main } from '.';

const code = await main(['web', ...process.argv.slice(2)]);
process.exit(code);
