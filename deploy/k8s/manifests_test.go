package k8s

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cambista/cambista/deploy/cambistatest"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// objects are one overlay's rendered objects, decoded strictly.
type objects struct {
	deployments []*appsv1.Deployment
	configMaps  map[string]*corev1.ConfigMap
	services    []*corev1.Service
	other       []string // kinds decoded and checked by type alone
}

// render builds the overlay with kustomize and decodes every object into
// its k8s.io/api type, refusing unknown fields.
func render(t *testing.T, dir string) *objects {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	rm, err := k.Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		t.Fatalf("kustomize build %s: %v", dir, err)
	}
	out := &objects{configMaps: map[string]*corev1.ConfigMap{}}
	for _, r := range rm.Resources() {
		y, err := r.AsYAML()
		if err != nil {
			t.Fatal(err)
		}
		var into any
		switch r.GetKind() {
		case "Deployment":
			d := &appsv1.Deployment{}
			out.deployments, into = append(out.deployments, d), d
		case "ConfigMap":
			c := &corev1.ConfigMap{}
			out.configMaps[r.GetName()], into = c, c
		case "Service":
			s := &corev1.Service{}
			out.services, into = append(out.services, s), s
		case "PersistentVolumeClaim":
			into = &corev1.PersistentVolumeClaim{}
		case "Ingress":
			into = &networkingv1.Ingress{}
		case "NetworkPolicy":
			into = &networkingv1.NetworkPolicy{}
		case "PodDisruptionBudget":
			into = &policyv1.PodDisruptionBudget{}
		case "HorizontalPodAutoscaler":
			into = &autoscalingv2.HorizontalPodAutoscaler{}
		default:
			t.Fatalf("%s: %s %s has no decoder in this test", dir, r.GetKind(), r.GetName())
		}
		if err := yaml.UnmarshalStrict(y, into); err != nil {
			t.Fatalf("%s: %s %s: %v", dir, r.GetKind(), r.GetName(), err)
		}
		out.other = append(out.other, r.GetKind())
	}
	return out
}

// settings runs "cambista help" and returns the variables it reads.
func settings(t *testing.T) map[string]bool {
	t.Helper()
	out, err := exec.Command(cambistatest.Build(t), "help").Output()
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) > 0 && strings.HasPrefix(f[0], "CAMBISTA_") {
			vars[f[0]] = true
		}
	}
	if len(vars) < 10 {
		t.Fatalf("cambista help lists %d settings:\n%s", len(vars), out)
	}
	return vars
}

// port returns the port of a host:port setting.
func port(t *testing.T, addr string) int32 {
	t.Helper()
	i := strings.LastIndex(addr, ":")
	p, err := strconv.Atoi(addr[i+1:])
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return int32(p)
}

// TestOverlays renders every overlay and checks that each container reads
// only settings the binary has, listens where its ports and probes say,
// and probes /healthz and /readyz on the metrics port.
func TestOverlays(t *testing.T) {
	known := settings(t)
	for _, overlay := range []string{"sqlite", "postgres"} {
		t.Run(overlay, func(t *testing.T) {
			objs := render(t, "overlays/"+overlay)
			if len(objs.deployments) == 0 {
				t.Fatal("no Deployment")
			}
			for _, d := range objs.deployments {
				for _, c := range d.Spec.Template.Spec.Containers {
					checkContainer(t, d.Name, c, objs, known)
				}
				if overlay == "sqlite" && (*d.Spec.Replicas != 1 || d.Spec.Strategy.Type != appsv1.RecreateDeploymentStrategyType) {
					t.Errorf("%s: SQLite needs one replica, replaced by Recreate", d.Name)
				}
			}
			want := map[string][]string{
				"sqlite":   {"PersistentVolumeClaim", "Ingress", "NetworkPolicy", "Service"},
				"postgres": {"HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "NetworkPolicy", "Service"},
			}[overlay]
			for _, kind := range want {
				if !slices.Contains(objs.other, kind) {
					t.Errorf("no %s", kind)
				}
			}
			for _, s := range objs.services {
				for _, p := range s.Spec.Ports {
					if p.TargetPort.StrVal != "http" && p.TargetPort.StrVal != "metrics" {
						t.Errorf("Service %s targets port %v, not a named container port", s.Name, p.TargetPort)
					}
				}
			}
		})
	}
}

func checkContainer(t *testing.T, name string, c corev1.Container, objs *objects, known map[string]bool) {
	t.Helper()
	env := map[string]string{}
	for _, from := range c.EnvFrom {
		cm := objs.configMaps[from.ConfigMapRef.Name]
		if cm == nil {
			t.Errorf("%s: no ConfigMap %s", name, from.ConfigMapRef.Name)
			continue
		}
		for k, v := range cm.Data {
			env[k] = v
		}
	}
	for _, e := range c.Env {
		env[e.Name] = e.Value
		if e.ValueFrom != nil && e.ValueFrom.SecretKeyRef == nil {
			t.Errorf("%s: %s comes from neither a value nor a Secret", name, e.Name)
		}
	}
	for k := range env {
		if !known[k] {
			t.Errorf("%s: %s is not a setting of cambista (cambista help)", name, k)
		}
	}
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["metrics"] == 0 || ports["metrics"] != port(t, env["CAMBISTA_METRICS_ADDR"]) {
		t.Errorf("%s: port metrics %d, CAMBISTA_METRICS_ADDR %q", name, ports["metrics"], env["CAMBISTA_METRICS_ADDR"])
	}
	if p, ok := ports["http"]; ok && p != port(t, env["CAMBISTA_HTTP_ADDR"]) {
		t.Errorf("%s: port http %d, CAMBISTA_HTTP_ADDR %q", name, p, env["CAMBISTA_HTTP_ADDR"])
	}
	for kind, probe := range map[string]*corev1.Probe{"liveness": c.LivenessProbe, "readiness": c.ReadinessProbe} {
		want := map[string]string{"liveness": "/healthz", "readiness": "/readyz"}[kind]
		if probe == nil || probe.HTTPGet == nil || probe.HTTPGet.Path != want || probe.HTTPGet.Port.StrVal != "metrics" {
			t.Errorf("%s: %s probe %+v, want GET %s on port metrics", name, kind, probe, want)
		}
	}
	if len(c.Args) != 1 || !slices.Contains([]string{"serve", "web", "worker"}, c.Args[0]) {
		t.Errorf("%s: args %v", name, c.Args)
	}
}

// TestStrictDecoding: a misspelt field is refused, so the check above
// would catch one in the manifests.
func TestStrictDecoding(t *testing.T) {
	j, _ := json.Marshal(map[string]any{"apiVersion": "v1", "kind": "Service", "metadata": map[string]any{"name": "x"},
		"spec": map[string]any{"ports": []any{map[string]any{"port": 80, "targetPortt": "http"}}}})
	if err := yaml.UnmarshalStrict(j, &corev1.Service{}); err == nil {
		t.Fatal("an unknown field was accepted")
	}
}
