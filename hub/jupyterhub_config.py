"""The class hub that `python -m scripts.hub start` and tests/test_hub.py run: JupyterHub and its proxy on
127.0.0.1, a shared class password, one home folder per student, the course's environment for everyone.

scripts/hub.py sets the COURSE_HUB_* variables read here (ports, folders, the proxy's command); nothing in this
file names a path of one machine. A class deployment (The Littlest JupyterHub, Kubernetes) has its own
configuration: what carries over is the environment (the README's class recipe) and the nbgitpuller link.
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821 (JupyterHub defines it when it loads this file)


def setting(name: str) -> str:
    if name not in os.environ:
        raise SystemExit(f"hub/jupyterhub_config.py needs {name}; start the hub with python -m scripts.hub start")
    return os.environ[name]


state = Path(setting("COURSE_HUB_STATE"))

# Everything on loopback: the proxy students reach, the hub behind it, the proxy's API, the students' servers.
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(setting("COURSE_HUB_PORT"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(setting("COURSE_HUB_INTERNAL_PORT"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{setting('COURSE_HUB_PROXY_API_PORT')}"
c.ConfigurableHTTPProxy.command = json.loads(setting("COURSE_HUB_PROXY_COMMAND"))  # Debian's node runs it
c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")

# Kept across restarts: who the students are, their servers' records and the login cookies' key.
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops the students' servers; their files stay

# Any name with the class password (JupyterHub 5.3+'s replacement for DummyAuthenticator's password).
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = setting("COURSE_HUB_PASSWORD")
c.Authenticator.allow_all = True

# Each student's server is a process of this machine's user, in a home folder of its own (no system users).
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = str(Path(setting("COURSE_HUB_HOMES")) / "{username}")
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [str(Path(setting("COURSE_HUB_VENV")) / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = c.Spawner.http_timeout = 180  # two servers starting at once on a small machine
idle_seconds = str(60 * int(setting("COURSE_HUB_IDLE_MINUTES")))
c.Spawner.args = [
    "--LabApp.expose_app_in_browser=True",  # the tests drive JupyterLab through window.jupyterapp
    # a server left alone (its hub gone, its student away) stops by itself: idle kernels first, then the server
    f"--MappingKernelManager.cull_idle_timeout={idle_seconds}",
    "--MappingKernelManager.cull_interval=60",
    f"--ServerApp.shutdown_no_activity_timeout={idle_seconds}",
]
if os.geteuid() == 0:  # a container or CI machine run as root: the servers are root's processes too
    c.Spawner.args.append("--allow-root")
# The course's own settings (COURSE_PROFILE, COURSE_OFFLINE, COURSE_DATA_DIR) as scripts/hub.py passes them.
c.Spawner.environment = json.loads(setting("COURSE_HUB_STUDENT_ENV"))
