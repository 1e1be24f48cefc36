// Trainlab's theme watch: Streamlit does not rerun a page when the learner switches between its light and
// dark themes, so Plotly charts drawn for the old theme would stay until the next click. This invisible
// element looks at the page's background twice a second and tells the server when the theme it drew for
// is no longer the one on screen (ui/look.py), which reruns the page and redraws the charts.

function pageIsDark() {
  const app = document.querySelector("[data-testid=stApp]") || document.body;
  const [r, g, b] = (getComputedStyle(app).backgroundColor.match(/[\d.]+/g) || [255, 255, 255]).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
}

export default function (component) {
  const { data, setStateValue } = component;
  const check = () => {
    const dark = pageIsDark();
    if (dark !== data.dark && window.trainlabThemeSent !== dark) {
      window.trainlabThemeSent = dark;
      setStateValue("dark", dark);
    }
  };
  check();
  const timer = setInterval(check, 500);
  return () => clearInterval(timer);
}
