import { defineBootstrap, loadBootstrapSettings } from "./bootstrap";

export = async () => defineBootstrap(loadBootstrapSettings());
