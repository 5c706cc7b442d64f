/**
 * Hash history: Electron loads the renderer from file://, and browser mode keeps its access token in
 * the query string (?token=...) which hash routes leave untouched.
 */
import { createRouter, createWebHashHistory } from 'vue-router';
import RunsView from './views/RunsView.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** The window title's first part. */
    title?: string;
  }
}

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', redirect: '/runs' },
    { path: '/runs', name: 'runs', component: RunsView, meta: { title: 'Runs' } },
    { path: '/new', name: 'new', component: () => import('./views/WizardView.vue'), meta: { title: 'New experiment' } },
    {
      path: '/runs/:id',
      name: 'run',
      component: () => import('./views/RunView.vue'),
      props: true,
      meta: { title: 'Run' },
    },
    {
      path: '/compare',
      name: 'compare',
      component: () => import('./views/CompareView.vue'),
      meta: { title: 'Compare runs' },
    },
    {
      path: '/studies',
      name: 'studies',
      component: () => import('./views/StudiesView.vue'),
      meta: { title: 'Studies' },
    },
    {
      path: '/studies/new',
      name: 'study-new',
      component: () => import('./views/StudyBuilderView.vue'),
      meta: { title: 'New study' },
    },
    {
      path: '/studies/:id',
      name: 'study',
      component: () => import('./views/StudyView.vue'),
      props: true,
      meta: { title: 'Study' },
    },
    {
      path: '/settings',
      name: 'settings',
      component: () => import('./views/SettingsView.vue'),
      meta: { title: 'Settings' },
    },
    { path: '/:pathMatch(.*)*', redirect: '/runs' },
  ],
});

router.afterEach((to) => {
  document.title = `${String(to.meta.title ?? '')} · FedMem Workbench`;
});
