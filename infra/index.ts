import { loadSettings } from "./config";
import { definePlatform } from "./platform";

// Pulumi calls an exported function and uses what it returns as the stack outputs. Settings are
// parsed first, so a bad value stops the run before any resource is registered.
export = async () => definePlatform(loadSettings());
