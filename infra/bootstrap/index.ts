import { defineBootstrap } from "./bootstrap";
import { loadBootstrapSettings } from "./settings";

export = async () => defineBootstrap(loadBootstrapSettings());
