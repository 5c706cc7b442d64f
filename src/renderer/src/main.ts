import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { router } from './router';
import { useThemeStore } from './stores/theme';
import './styles.css';

const app = createApp(App).use(createPinia()).use(router);
// Apply the remembered theme before the first paint of the views.
useThemeStore().apply();
app.mount('#app');
