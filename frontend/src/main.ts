import "./style.css";
import { mountStatusView } from "./views/statusView";

const root = document.querySelector<HTMLElement>("#app");
if (root === null) {
  throw new Error("index.html has no #app element");
}
mountStatusView(root);
