import "./style.css";
import { mountApp } from "./app/shell";

const root = document.querySelector<HTMLElement>("#app");
if (root === null) {
  throw new Error("index.html has no #app element");
}
mountApp(root);
