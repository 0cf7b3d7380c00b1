// The class runs on the GPU (CudaNetwork), and the jar holds it with its resources beside it.
import java.util.zip.ZipFile

def log = new File(basedir, 'build.log').text
def gen = new File(basedir, 'target/generated-sources/netc/dev/example/Tiny.java')
assert gen.isFile() : log
assert gen.text.contains('CudaNetwork')
def nvcc = log.contains('nvcc is not on this machine') ? false : true
def jar = new ZipFile(new File(basedir, 'target/cuda-target-1.0.jar'))
try {
  for (name in ['Tiny.class', 'Tiny.launches', 'Tiny.cu']) {
    assert jar.getEntry('dev/example/' + name) != null : name + ' is not in the jar'
  }
  assert (jar.getEntry('dev/example/Tiny.ptx') != null) == nvcc : 'the PTX is in the jar exactly when nvcc ran'
  if (nvcc) assert jar.getInputStream(jar.getEntry('dev/example/Tiny.ptx')).text.contains('.entry')
} finally {
  jar.close()
}
return true
