// Importing registers every type's resolvers.
import "./orders";
import "./customers";
import "./shop";
import "./metafields";
import "./metafield-definitions";
import "./discounts";
import "./store-credit";
import "./bulk";
import "./bulk-mutations";
import "./misc";
import "./segment-members";
import "./root";

export { loadNode } from "./root";
