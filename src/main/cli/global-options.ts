/** The options every `fedmem` command accepts before or after its name. */
export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}
