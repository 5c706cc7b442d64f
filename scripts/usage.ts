/** For the scripts a person runs: `--help` or `-h` prints the script's usage and exits 0 before any work. */
export function exitWithUsageIfAsked(usage: string): void {
  if (!process.argv.slice(2).some((a) => a === '--help' || a === '-h')) return;
  console.log(usage.trim());
  process.exit(0);
}
