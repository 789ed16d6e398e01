/** Every workflow the worker registers. A koppeling type plugs in by exporting its `<type>Cycle`. */
export { koppelingWorkflow } from './koppeling';
export { eboekhoudenWerkbonappCycle } from './eboekhouden-werkbonapp';
export { nmbrsEboekhoudenCycle } from './nmbrs-eboekhouden';
export { nmbrsMijnkantoorCycle } from './nmbrs-mijnkantoor';
export { nmbrsMijnkantoorJaarwerk } from './nmbrs-mijnkantoor/jaarwerk';
export { nmbrsMijnkantoorDirectSync } from './nmbrs-mijnkantoor/direct-sync';
export { nmbrsEaccountingCycle } from './nmbrs-eaccounting';
export { eaccountingVismanetCycle } from './eaccounting-vismanet';
